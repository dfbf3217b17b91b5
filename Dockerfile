# One image for every Gongzhi service; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Workspace manifests first, so dependency layers are rebuilt only when dependencies change.
COPY package.json package-lock.json ./
COPY packages/kit/package.json packages/kit/
COPY packages/dataset/package.json packages/dataset/
COPY subgraphs/organisations/package.json subgraphs/organisations/
COPY subgraphs/people/package.json subgraphs/people/
COPY subgraphs/services/package.json subgraphs/services/
COPY subgraphs/funding/package.json subgraphs/funding/
COPY subgraphs/elections/package.json subgraphs/elections/
COPY gateway/package.json gateway/
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY . .
USER node
# TypeScript runs directly through tsx's loader: the same code path as `npm start` and the tests.
CMD ["node", "--import", "tsx", "gateway/src/index.ts"]

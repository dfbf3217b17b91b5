export { Community } from './Community.ts';
export { Organisation } from './Organisation.ts';
export { Post } from './Post.ts';
export { Query } from './Query.ts';

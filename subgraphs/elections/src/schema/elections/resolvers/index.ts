export { Candidacy } from './Candidacy.ts';
export { Election } from './Election.ts';
export { Query } from './Query.ts';
export { VoterRegistration } from './VoterRegistration.ts';

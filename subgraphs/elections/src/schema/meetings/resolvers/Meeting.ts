import type { MeetingResolvers } from '../../../generated/graphql.ts';

export const Meeting: MeetingResolvers = {
  organisation: (meeting) => ({ id: meeting.organisationId }),
  residentsCommittee: (meeting) => ({ id: meeting.residentsCommitteeId }),
  motions: (meeting, _args, { loaders }) => loaders.motionsByMeeting.load(meeting.id),
};

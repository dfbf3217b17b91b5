/**
 * Deterministic ids shared by every slice: a slice that references a community, committee, organisation
 * or post of the reference dataset builds the same id from the same code, without reading another slice.
 */
export const ids = {
  district: (code: string) => `dst-${code}`,
  subdistrict: (code: string) => `sd-${code}`,
  community: (code: string) => `com-${code}`,
  residentsCommittee: (code: string) => `rc-${code}`,
  /** Organisations of a community's trinity and its service centre, keyed by the community code. */
  partyCommittee: (communityCode: string) => `org-pc-${communityCode}`,
  workstation: (communityCode: string) => `org-ws-${communityCode}`,
  serviceCentre: (communityCode: string) => `org-sc-${communityCode}`,
  /** Organisations of one residents' committee, keyed by the committee code. */
  committeeOrganisation: (committeeCode: string) => `org-rc-${committeeCode}`,
  residentsCouncil: (committeeCode: string) => `org-council-${committeeCode}`,
  supervisionCommittee: (committeeCode: string) => `org-sup-${committeeCode}`,
  post: (organisationId: string, role: string, seat: number) => `post-${organisationId.slice(4)}-${role.toLowerCase()}-${seat}`,
  gridArea: (communityCode: string, seat: number) => `grid-${communityCode}-${String(seat).padStart(2, '0')}`,
  building: (gridAreaId: string, seat: number) => `bldg-${gridAreaId.slice(5)}-${String(seat).padStart(2, '0')}`,
};

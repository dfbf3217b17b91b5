import { creditCode } from './credit-code.ts';
import { facts, type Facts } from './facts.ts';
import { ids } from './ids.ts';
import { chineseOrdinals, placeNames } from './names.ts';
import { createRandom, randomInt, shuffle } from './random.ts';

/**
 * The administrative structure of the district and the organisations every community has, generated
 * deterministically from the published facts. Dates marked "assumption" are not in the source; they
 * are free choices kept stable so that `asOf` queries have a past to answer.
 */
export const structureDates = {
  /** Bao'an District established (assumption). */
  districtFrom: '1993-01-01',
  /** Towns became sub-districts and villages became communities (assumption). */
  subdistrictsFrom: '2004-10-01',
  communitiesFrom: '2004-10-01',
  conventionFirstAdopted: '2005-06-01',
  conventionRevised: '2018-06-01',
};

/** Communities per sub-district, in the order of `facts.subdistricts.names` (assumption; sums to 124). */
export const communitiesPerSubdistrict = [20, 16, 11, 11, 9, 18, 10, 12, 8, 9];

export interface DistrictRecord {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  city: string;
  areaKm2: number;
  validFrom: string;
}

export interface SubdistrictRecord {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  validFrom: string;
  validTo: string | null;
  splitFromId: string | null;
}

export interface CommunityRecord {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  validFrom: string;
  validTo: string | null;
  website: string;
}

/** Which sub-district a community belonged to, and when: the lineage `asOf` queries read. */
export interface PlacementRecord {
  communityId: string;
  subdistrictId: string;
  validFrom: string;
  validTo: string | null;
}

export interface ResidentsCommitteeRecord {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  communityId: string;
  validFrom: string;
  validTo: string | null;
  /** Elected seats: director, deputy director and members (the counts sum to the facts' members elected). */
  seats: number;
  /** Where the committee posts what it must disclose (居务公开栏); every committee has one. */
  disclosureBoard: string;
}

export type OrganisationKind =
  | 'PARTY_COMMITTEE'
  | 'WORKSTATION'
  | 'RESIDENTS_COMMITTEE'
  | 'RESIDENTS_COUNCIL'
  | 'SUPERVISION_COMMITTEE'
  | 'SOCIAL_ORGANISATION'
  | 'CHARITY_FUND'
  | 'STOCK_COMPANY'
  | 'OWNERS_COMMITTEE'
  | 'PROPERTY_MANAGER'
  | 'RESIDENT_UNIT'
  | 'SERVICE_CENTRE'
  | 'GOVERNMENT_DEPARTMENT';

export interface OrganisationRecord {
  id: string;
  kind: OrganisationKind;
  name: string;
  nameEn: string;
  creditCode: string | null;
  communityId: string | null;
  residentsCommitteeId: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  website: string | null;
  foundedOn: string | null;
}

export type PostRole =
  | 'PARTY_SECRETARY'
  | 'DEPUTY_PARTY_SECRETARY'
  | 'PARTY_COMMITTEE_MEMBER'
  | 'COMMITTEE_DIRECTOR'
  | 'DEPUTY_DIRECTOR'
  | 'COMMITTEE_MEMBER'
  | 'WORKSTATION_HEAD'
  | 'AREA_DIRECTOR'
  | 'BUILDING_HEAD'
  | 'LEGAL_ADVISER'
  | 'COUNSELLOR'
  | 'ANTI_DRUG_SOCIAL_WORKER';

export interface PostRecord {
  id: string;
  organisationId: string;
  role: PostRole;
  label: string;
  gridAreaId: string | null;
  buildingId: string | null;
  validFrom: string;
  validTo: string | null;
}

export interface GridAreaRecord {
  id: string;
  code: string;
  name: string;
  communityId: string;
}

export interface BuildingRecord {
  id: string;
  name: string;
  address: string;
  households: number;
  gridAreaId: string;
}

export interface ConventionRecord {
  id: string;
  residentsCommitteeId: string;
  version: number;
  adoptedOn: string;
  title: string;
  summary: string;
}

export interface DistrictStructure {
  district: DistrictRecord;
  subdistricts: SubdistrictRecord[];
  communities: CommunityRecord[];
  placements: PlacementRecord[];
  residentsCommittees: ResidentsCommitteeRecord[];
  organisations: OrganisationRecord[];
  posts: PostRecord[];
  gridAreas: GridAreaRecord[];
  buildings: BuildingRecord[];
  conventions: ConventionRecord[];
}

const seatRoles = (seats: number): PostRole[] => [
  'COMMITTEE_DIRECTOR',
  'DEPUTY_DIRECTOR',
  ...Array<PostRole>(seats - 2).fill('COMMITTEE_MEMBER'),
];

const roleLabels: Record<PostRole, string> = {
  PARTY_SECRETARY: '党委书记',
  DEPUTY_PARTY_SECRETARY: '党委副书记',
  PARTY_COMMITTEE_MEMBER: '党委委员',
  COMMITTEE_DIRECTOR: '居委会主任',
  DEPUTY_DIRECTOR: '居委会副主任',
  COMMITTEE_MEMBER: '居委会委员',
  WORKSTATION_HEAD: '工作站站长',
  AREA_DIRECTOR: '分片主任',
  BUILDING_HEAD: '楼栋长',
  LEGAL_ADVISER: '法律顾问',
  COUNSELLOR: '心理咨询师',
  ANTI_DRUG_SOCIAL_WORKER: '禁毒社工',
};

/** Validity periods are inclusive at both ends: a period that stops when another starts ends the day before. */
export function dayBefore(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** Builds the whole structure. Same facts and seed → the same records, in the same order. */
export function districtStructure(source: Facts = facts, seed = 2019): DistrictStructure {
  const random = createRandom(seed);
  const districtCode = source.district.code.padEnd(12, '0');
  const district: DistrictRecord = {
    id: ids.district(source.district.code),
    code: districtCode,
    name: source.district.name,
    nameEn: source.district.nameEn,
    city: source.district.city,
    areaKm2: source.district.areaKm2,
    validFrom: structureDates.districtFrom,
  };

  const splitDate = source.subdistricts.splitDate.value;
  const townshipCode = (index: number) => `${source.district.code}${String(index + 1).padStart(3, '0')}`;
  const parentOf = new Map(source.subdistricts.splits.map((split) => [split.new, split.from]));
  const indexOf = new Map(source.subdistricts.names.map((name, index) => [name, index]));
  const subdistricts: SubdistrictRecord[] = source.subdistricts.names.map((name, index) => {
    const parent = parentOf.get(name);
    return {
      id: ids.subdistrict(townshipCode(index)),
      code: `${townshipCode(index)}000`,
      name: `${name}街道`,
      nameEn: `${source.subdistricts.namesEn[index]} Subdistrict`,
      validFrom: parent ? splitDate : structureDates.subdistrictsFrom,
      validTo: null,
      splitFromId: parent ? ids.subdistrict(townshipCode(indexOf.get(parent)!)) : null,
    };
  });

  const names = shuffle(random, placeNames());
  const communities: CommunityRecord[] = [];
  const placements: PlacementRecord[] = [];
  const residentsCommittees: ResidentsCommitteeRecord[] = [];
  const organisations: OrganisationRecord[] = [];
  const posts: PostRecord[] = [];
  const gridAreas: GridAreaRecord[] = [];
  const buildings: BuildingRecord[] = [];
  const conventions: ConventionRecord[] = [];

  const committeesTotal = source.residentsCommittees.count;
  const communitiesTotal = source.communities.count;
  // Communities with a second committee, spread evenly over the district.
  const extraCommittees = committeesTotal - communitiesTotal;
  const twoCommittees = new Set(
    Array.from({ length: extraCommittees }, (_, k) => Math.floor(((k + 0.5) * communitiesTotal) / extraCommittees)),
  );
  // Elected seats per committee, summing to the members elected in the general election.
  const seatsBase = Math.floor(source.elections.membersElected / committeesTotal);
  const seatsExtra = source.elections.membersElected - seatsBase * committeesTotal;

  const post = (organisationId: string, role: PostRole, seat: number, from: string, extra: Partial<PostRecord> = {}): PostRecord => ({
    id: ids.post(organisationId, role, seat),
    organisationId,
    role,
    label: roleLabels[role],
    gridAreaId: null,
    buildingId: null,
    validFrom: from,
    validTo: null,
    ...extra,
  });
  const organisation = (
    record: Omit<OrganisationRecord, 'phone' | 'email' | 'address' | 'website' | 'foundedOn'> & Partial<OrganisationRecord>,
  ): OrganisationRecord => ({
    phone: null,
    email: null,
    address: null,
    website: null,
    foundedOn: null,
    ...record,
  });

  let communityIndex = 0;
  let committeeSerial = 0;
  source.subdistricts.names.forEach((subdistrictName, subdistrictIndex) => {
    const subdistrict = subdistricts[subdistrictIndex]!;
    const township = townshipCode(subdistrictIndex);
    const parentName = parentOf.get(subdistrictName);
    let committeeInTownship = 0;
    for (let n = 1; n <= communitiesPerSubdistrict[subdistrictIndex]!; n++, communityIndex++) {
      const place = names[communityIndex]!;
      const code = `${township}${String(n).padStart(3, '0')}`;
      const communityId = ids.community(code);
      const from = structureDates.communitiesFrom;
      const community: CommunityRecord = {
        id: communityId,
        code,
        name: `${place.name}社区`,
        nameEn: `${place.nameEn} Community`,
        validFrom: from,
        validTo: null,
        website: `https://www.baoan.gov.cn/community/${code}`,
      };
      communities.push(community);
      if (parentName) {
        const parent = subdistricts[indexOf.get(parentName)!]!;
        placements.push({ communityId, subdistrictId: parent.id, validFrom: from, validTo: dayBefore(splitDate) });
        placements.push({ communityId, subdistrictId: subdistrict.id, validFrom: splitDate, validTo: null });
      } else {
        placements.push({ communityId, subdistrictId: subdistrict.id, validFrom: from, validTo: null });
      }

      const address = `深圳市宝安区${subdistrict.name}${community.name}党群服务中心`;
      const phone = `0755-${String(27000000 + communityIndex * 1013).slice(0, 8)}`;
      const partyCommittee = organisation({
        id: ids.partyCommittee(code),
        kind: 'PARTY_COMMITTEE',
        name: `中共深圳市宝安区${subdistrict.name}${community.name}委员会`,
        nameEn: `${community.nameEn} Party Committee`,
        creditCode: null,
        communityId,
        residentsCommitteeId: null,
        address,
        phone,
        foundedOn: from,
      });
      const workstation = organisation({
        id: ids.workstation(code),
        kind: 'WORKSTATION',
        name: `${subdistrict.name}${community.name}工作站`,
        nameEn: `${community.nameEn} Workstation`,
        creditCode: creditCode('11', 100000 + communityIndex),
        communityId,
        residentsCommitteeId: null,
        address,
        phone,
        email: `ws${code}@baoan.gov.cn`,
        website: community.website,
        foundedOn: from,
      });
      const serviceCentre = organisation({
        id: ids.serviceCentre(code),
        kind: 'SERVICE_CENTRE',
        name: `${community.name}党群服务中心`,
        nameEn: `${community.nameEn} Party and Public Service Centre`,
        creditCode: null,
        communityId,
        residentsCommitteeId: null,
        address,
        phone,
        foundedOn: '2017-01-01',
      });
      organisations.push(partyCommittee, workstation, serviceCentre);
      posts.push(
        post(partyCommittee.id, 'PARTY_SECRETARY', 1, from),
        post(partyCommittee.id, 'DEPUTY_PARTY_SECRETARY', 1, from),
        ...[1, 2, 3].map((seat) => post(partyCommittee.id, 'PARTY_COMMITTEE_MEMBER', seat, from)),
        post(workstation.id, 'WORKSTATION_HEAD', 1, from),
        post(workstation.id, 'LEGAL_ADVISER', 1, from),
        post(workstation.id, 'COUNSELLOR', 1, from),
        post(workstation.id, 'ANTI_DRUG_SOCIAL_WORKER', 1, from),
      );

      const committees = twoCommittees.has(communityIndex) ? 2 : 1;
      for (let c = 0; c < committees; c++, committeeSerial++) {
        committeeInTownship++;
        const committeeCode = `${township}${String(200 + committeeInTownship).padStart(3, '0')}`;
        const ordinal = committees > 1 ? `第${chineseOrdinals[c]}` : '';
        const suffixEn = committees > 1 ? ` No. ${c + 1}` : '';
        const committeeId = ids.residentsCommittee(committeeCode);
        const seats = seatsBase + (committeeSerial < seatsExtra ? 1 : 0);
        residentsCommittees.push({
          id: committeeId,
          code: committeeCode,
          name: `${community.name}${ordinal}居民委员会`,
          nameEn: `${community.nameEn} Residents' Committee${suffixEn}`,
          communityId,
          validFrom: from,
          validTo: null,
          seats,
          disclosureBoard: `${community.name}${ordinal}居委会党群服务中心门口居务公开栏`,
        });
        const committeeOrg = organisation({
          id: ids.committeeOrganisation(committeeCode),
          kind: 'RESIDENTS_COMMITTEE',
          name: `${subdistrict.name}${community.name}${ordinal}居民委员会`,
          nameEn: `${community.nameEn} Residents' Committee${suffixEn}`,
          creditCode: creditCode('54', 200000 + committeeSerial),
          communityId,
          residentsCommitteeId: committeeId,
          address,
          phone,
          foundedOn: from,
        });
        organisations.push(
          committeeOrg,
          organisation({
            id: ids.residentsCouncil(committeeCode),
            kind: 'RESIDENTS_COUNCIL',
            name: `${community.name}${ordinal}居民议事会`,
            nameEn: `${community.nameEn} Residents' Council${suffixEn}`,
            creditCode: null,
            communityId,
            residentsCommitteeId: committeeId,
            foundedOn: '2012-01-01',
          }),
          organisation({
            id: ids.supervisionCommittee(committeeCode),
            kind: 'SUPERVISION_COMMITTEE',
            name: `${community.name}${ordinal}居务监督委员会`,
            nameEn: `${community.nameEn} Affairs Supervision Committee${suffixEn}`,
            creditCode: null,
            communityId,
            residentsCommitteeId: committeeId,
            foundedOn: '2012-01-01',
          }),
        );
        const seatCount = new Map<PostRole, number>();
        for (const role of seatRoles(seats)) {
          const seat = (seatCount.get(role) ?? 0) + 1;
          seatCount.set(role, seat);
          posts.push(post(committeeOrg.id, role, seat, from));
        }
        conventions.push(
          {
            id: `conv-${committeeCode}-1`,
            residentsCommitteeId: committeeId,
            version: 1,
            adoptedOn: structureDates.conventionFirstAdopted,
            title: `${community.name}${ordinal}居民公约`,
            summary: '爱护公共环境，邻里互助，遵守社区议事规则。',
          },
          {
            id: `conv-${committeeCode}-2`,
            residentsCommitteeId: committeeId,
            version: 2,
            adoptedOn: structureDates.conventionRevised,
            title: `${community.name}${ordinal}居民公约（修订）`,
            summary: '爱护公共环境，垃圾分类，邻里互助，文明养犬，参与四议两公开。',
          },
        );
      }

      // The grid: areas (分片) with a director each, buildings (楼栋) with a head each.
      const areas = randomInt(random, 4, 8);
      for (let a = 1; a <= areas; a++) {
        const gridArea: GridAreaRecord = {
          id: ids.gridArea(code, a),
          code: `${code}${String(a).padStart(2, '0')}`,
          name: `${community.name}第${chineseOrdinals[a - 1]}片区`,
          communityId,
        };
        gridAreas.push(gridArea);
        posts.push(post(workstation.id, 'AREA_DIRECTOR', a, from, { gridAreaId: gridArea.id }));
        const blocks = randomInt(random, 5, 15);
        for (let b = 1; b <= blocks; b++) {
          const building: BuildingRecord = {
            id: ids.building(gridArea.id, b),
            name: `${place.name}${a}区${b}栋`,
            address: `深圳市宝安区${subdistrict.name}${community.name}${a}区${b}栋`,
            households: randomInt(random, 24, 320),
            gridAreaId: gridArea.id,
          };
          buildings.push(building);
          posts.push(post(workstation.id, 'BUILDING_HEAD', a * 100 + b, from, { gridAreaId: gridArea.id, buildingId: building.id }));
        }
      }
    }
  });

  organisations.push(...districtOrganisations(source, subdistricts, communities, random));

  return { district, subdistricts, communities, placements, residentsCommittees, organisations, posts, gridAreas, buildings, conventions };
}

/** Ids of the district-level organisations that fund, run and evaluate community work. */
export const districtOrganisationIds = {
  civilAffairs: 'org-gov-civil-affairs',
  finance: 'org-gov-finance',
  subdistrictOffice: (subdistrictCode: string) => `org-gov-sdo-${subdistrictCode.slice(0, 9)}`,
  charityFund: (n: number) => `org-cf-${String(n).padStart(3, '0')}`,
  socialOrganisation: (n: number) => `org-so-${String(n).padStart(3, '0')}`,
};

/** Social organisations in the district (assumption; 56 of them are supported in 2019). */
export const socialOrganisationCount = 120;
/** The first few social organisations are third-party evaluators (assumption). */
export const evaluatorCount = 5;

const serviceWords = ['阳光', '同心', '邻里', '启航', '彩虹', '春晖', '善行', '和美', '馨园', '德润', '公益', '乐活'];
const serviceKinds = ['社工服务中心', '社会工作服务社', '志愿者协会', '公益服务中心', '青少年发展中心', '长者服务中心'];
const donors = ['宝安', '新安', '西乡', '福永', '沙井', '松岗', '石岩', '凤凰', '桃源', '海滨'];

/**
 * Bureaus and sub-district offices (funders), named charity funds and social organisations (recipients,
 * implementers and evaluators): not counted anywhere in the facts but named by them.
 */
function districtOrganisations(
  source: Facts,
  subdistricts: SubdistrictRecord[],
  communities: CommunityRecord[],
  random: () => number,
): OrganisationRecord[] {
  const base = { communityId: null, residentsCommitteeId: null, phone: null, email: null, address: null, website: null };
  const records: OrganisationRecord[] = [
    {
      ...base,
      id: districtOrganisationIds.civilAffairs,
      kind: 'GOVERNMENT_DEPARTMENT',
      name: '深圳市宝安区民政局',
      nameEn: "Bao'an District Civil Affairs Bureau",
      creditCode: creditCode('11', 1),
      foundedOn: '1993-01-01',
    },
    {
      ...base,
      id: districtOrganisationIds.finance,
      kind: 'GOVERNMENT_DEPARTMENT',
      name: '深圳市宝安区财政局',
      nameEn: "Bao'an District Finance Bureau",
      creditCode: creditCode('11', 2),
      foundedOn: '1993-01-01',
    },
    ...subdistricts.map((subdistrict, i): OrganisationRecord => ({
      ...base,
      id: districtOrganisationIds.subdistrictOffice(subdistrict.code),
      kind: 'GOVERNMENT_DEPARTMENT',
      name: `深圳市宝安区人民政府${subdistrict.name}办事处`,
      nameEn: `${subdistrict.nameEn} Office`,
      creditCode: creditCode('11', 10 + i),
      foundedOn: subdistrict.validFrom,
    })),
  ];
  for (let n = 1; n <= source.socialOrganisations.namedCharityFunds; n++) {
    records.push({
      ...base,
      id: districtOrganisationIds.charityFund(n),
      kind: 'CHARITY_FUND',
      name: `宝安区${donors[n % donors.length]}${serviceWords[n % serviceWords.length]}慈善基金（${n}）`,
      nameEn: `Bao'an Charity Fund No. ${n}`,
      creditCode: creditCode('53', 300000 + n),
      foundedOn: `${2010 + (n % 10)}-06-01`,
    });
  }
  for (let n = 1; n <= socialOrganisationCount; n++) {
    const community = communities[Math.floor(random() * communities.length)]!;
    records.push({
      ...base,
      id: districtOrganisationIds.socialOrganisation(n),
      kind: 'SOCIAL_ORGANISATION',
      name:
        n <= evaluatorCount
          ? `深圳市${serviceWords[n]}社会组织评估中心`
          : `宝安区${serviceWords[n % serviceWords.length]}${serviceKinds[n % serviceKinds.length]}（${n}）`,
      nameEn: n <= evaluatorCount ? `Evaluation Centre No. ${n}` : `Social Organisation No. ${n}`,
      creditCode: creditCode('52', 400000 + n),
      communityId: n <= evaluatorCount ? null : community.id,
      foundedOn: `${2008 + (n % 11)}-03-01`,
    });
  }
  return records;
}

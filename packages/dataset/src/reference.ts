import { electionsDataset, type ElectionsDataset } from './elections.ts';
import { facts } from './facts.ts';
import { fundingDataset, type FundingDataset } from './funding.ts';
import { peopleDataset, type DatasetOptions, type PeopleDataset } from './people.ts';
import { servicesDataset, type ServicesDataset } from './services.ts';
import { districtStructure, type DistrictStructure } from './structure.ts';

/** The scale `npm start` and the tests seed at: whole structure, about 57,000 residents. */
export const defaultScale = 0.01;
/** The generator's default seed: the same seed always gives byte-identical data. */
export const defaultSeed = 2019;

export interface ReferenceDataset {
  options: DatasetOptions;
  structure: DistrictStructure;
  people: PeopleDataset;
  elections: ElectionsDataset;
  services: ServicesDataset;
  funding: FundingDataset;
}

const cache = new Map<string, ReferenceDataset>();

/**
 * The whole reference dataset for a scale and seed; each slice seeds its own part. Deterministic, and
 * built once per process for each (scale, seed).
 */
export function referenceDataset(options: Partial<DatasetOptions> = {}): ReferenceDataset {
  const resolved: DatasetOptions = { scale: options.scale ?? defaultScale, seed: options.seed ?? defaultSeed };
  const key = `${resolved.scale}:${resolved.seed}`;
  let dataset = cache.get(key);
  if (!dataset) {
    const structure = districtStructure(facts, resolved.seed);
    const people = peopleDataset(structure, resolved);
    const services = servicesDataset(structure, people, resolved);
    dataset = {
      options: resolved,
      structure,
      people,
      elections: electionsDataset(structure, people, resolved),
      services,
      funding: fundingDataset(structure, people, services, resolved),
    };
    cache.set(key, dataset);
  }
  return dataset;
}

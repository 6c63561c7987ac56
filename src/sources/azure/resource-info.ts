/** An ACS resource as selected: its id and what Resource Graph tells about it (for `resources`, batching). */
import type { ResourceId } from './resource-id.js';

export interface ResourceInfo {
  readonly resource: ResourceId;
  /** Azure region of the resource ("global" for ACS); batches never mix regions. */
  readonly location: string;
  /** Where the data is stored (properties.dataLocation); '' when unknown. */
  readonly dataLocation: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A resource named by id only (not discovered): ACS resources are in region "global". */
export function infoOf(resource: ResourceId): ResourceInfo {
  return { resource, location: 'global', dataLocation: '', tags: {} };
}

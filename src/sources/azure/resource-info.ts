/** An ACS resource as selected (core/resource-info.ts holds the shape): how one named by id alone is filled in. */
import type { ResourceId, ResourceInfo } from '../../core/resource-info.js';

export type { ResourceInfo };

/** A resource named by id only (not discovered): ACS resources are in region "global". */
export function infoOf(resource: ResourceId): ResourceInfo {
  return { resource, location: 'global', dataLocation: '', tags: {} };
}

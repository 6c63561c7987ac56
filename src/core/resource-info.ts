/**
 * What a selected ACS resource is, as plain data: its id (checked and normalized by
 * sources/azure/resource-id.ts) and what Resource Graph tells about it. Core holds the shapes so that
 * render can show them without importing sources.
 */
export interface ResourceId {
  /** The id without a leading slash, fixed segments in their canonical casing. */
  readonly id: string;
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export interface ResourceInfo {
  readonly resource: ResourceId;
  /** Azure region of the resource ("global" for ACS); batches never mix regions. */
  readonly location: string;
  /** Where the data is stored (properties.dataLocation); '' when unknown. */
  readonly dataLocation: string;
  readonly tags: Readonly<Record<string, string>>;
}

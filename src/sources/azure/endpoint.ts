/**
 * Endpoints: Azure Resource Manager (--endpoint, also used for Resource Graph) and the metrics data
 * plane of the batch API (--batch-endpoint), with each cloud's defaults. Pure data: no Azure packages.
 */

/** Azure Resource Manager in the public cloud; sovereign clouds have their own (--endpoint). */
export const DEFAULT_ENDPOINT = 'https://management.azure.com';

export interface Cloud {
  readonly arm: string;
  /** The metrics data plane for resources in region "global" (every ACS resource). */
  readonly batch: string;
  /** The token audience of the metrics data plane. */
  readonly batchScope: string;
}

export const CLOUDS: readonly Cloud[] = [
  { arm: 'https://management.azure.com', batch: 'https://global.metrics.monitor.azure.com', batchScope: 'https://metrics.monitor.azure.com/.default' },
  { arm: 'https://management.usgovcloudapi.net', batch: 'https://global.metrics.monitor.azure.us', batchScope: 'https://metrics.monitor.azure.us/.default' },
  { arm: 'https://management.chinacloudapi.cn', batch: 'https://global.metrics.monitor.azure.cn', batchScope: 'https://metrics.monitor.azure.cn/.default' },
];

/** The cloud of an ARM endpoint, when it is a known one. */
export function cloudOf(arm: string): Cloud | undefined {
  return CLOUDS.find((c) => c.arm === arm.toLowerCase());
}

/** The token scope for a batch endpoint: its cloud's audience (the public cloud's for unknown hosts). */
export function batchScopeFor(batch: string): string {
  const host = new URL(batch).host.toLowerCase();
  const cloud = CLOUDS.find((c) => host.endsWith(new URL(c.batchScope).host.replace(/^metrics\./, '')));
  return (cloud ?? CLOUDS[0]!).batchScope;
}

/** Azure Resource Manager in the public cloud; sovereign clouds have their own (--endpoint). */
export const DEFAULT_ENDPOINT = 'https://management.azure.com';

export { TenantPolicyReader, type TenantLookup, type TenantPolicy } from './tenant-policy.reader.js';

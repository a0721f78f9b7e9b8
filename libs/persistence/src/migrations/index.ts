import { Foundation1764000000000 } from './1764000000000-foundation';
import { CompaniesLinksSyncState1764000000001 } from './1764000000001-companies-links-sync-state';

export const ALL_MIGRATIONS = [Foundation1764000000000, CompaniesLinksSyncState1764000000001];

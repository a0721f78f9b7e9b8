import { Foundation1764000000000 } from './1764000000000-foundation';
import { CompaniesLinksSyncState1764000000001 } from './1764000000001-companies-links-sync-state';
import { TimelogPollSweep1764000000002 } from './1764000000002-timelog-poll-sweep';
import { CompanyHealth1764000015000 } from './1764000015000-company-health';

export const ALL_MIGRATIONS = [Foundation1764000000000, CompaniesLinksSyncState1764000000001, TimelogPollSweep1764000000002, CompanyHealth1764000015000];

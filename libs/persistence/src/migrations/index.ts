import { Foundation1764000000000 } from './1764000000000-foundation';

export const ALL_MIGRATIONS = [Foundation1764000000000];

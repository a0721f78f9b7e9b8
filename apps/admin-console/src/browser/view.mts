import type { CompanyView } from './api-types.mjs';

export interface ViewContext {
  /** Aborted when the admin leaves the screen: stops refreshes and watches. */
  signal: AbortSignal;
  companyId: string;
  navigate(route: string): void;
  /** Re-reads the company shown in the header (after activation or deactivation). */
  refreshCompany(): Promise<CompanyView | undefined>;
}

/** Renders a screen into `main`; the screen's h1 receives focus when it is shown. */
export type View = (main: HTMLElement, context: ViewContext) => void;

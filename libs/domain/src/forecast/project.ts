export type EstimationUnits = 'HOURS' | 'POINTS';

export interface Project {
  id: number;
  /** The "P-{n}" number shown in the app. */
  companyProjectId: number | null;
  customProjectId: string | null;
  name: string;
  stage: string | null;
  estimationUnits: EstimationUnits;
  minutesPerEstimationPoint: number | null;
  /** When true Forecast computes task `remaining` and rejects writes to it. */
  remainingAutoCalculated: boolean;
  startDate: string | null;
  endDate: string | null;
  budgetType: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

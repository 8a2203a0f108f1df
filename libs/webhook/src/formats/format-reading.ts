import type { AlertItem } from '../alert-item';

export interface FormatReading {
  items: AlertItem[];
  /** The N of "GlitchTip Alert (N issues)": every matched issue, including those the body leaves out. */
  statedIssueCount: number | null;
}

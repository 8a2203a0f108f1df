import ttest2 from '@stdlib/stats-ttest2';
import { mean, median, probit, sampleStandardDeviation } from 'simple-statistics';

/** One-sided test at 5 %, 80 % power: the usual bar for "is the assisted workflow faster". */
export const significance = 0.05;
export const targetPower = 0.8;
/** Below this many per group no test is run at all (a t-test needs two; a handful says nothing). */
export const minimumPerGroup = 5;

export interface GroupSummary {
  n: number;
  mean: number | null;
  median: number | null;
  sd: number | null;
}

export interface GroupComparison {
  control: GroupSummary;
  treatment: GroupSummary;
  /** Control mean minus treatment mean: minutes the automatic help saves (positive = faster with help). */
  difference: number | null;
  /** 95 % confidence interval of that difference (Welch). */
  ci95: [number, number] | null;
  /** One-sided Welch t-test, H1: treatment is faster than control. */
  pValue: number | null;
  /** Cohen's d: the difference over the pooled standard deviation. */
  effectSize: number | null;
  /** Issues per group needed for 80 % power at the observed spread and difference; null when no gain is observed. */
  neededPerGroup: number | null;
  /** False while either group is below minimumPerGroup or below neededPerGroup: "not enough data yet". */
  enough: boolean;
}

export function summarize(values: readonly number[]): GroupSummary {
  if (values.length === 0) return { n: 0, mean: null, median: null, sd: null };
  return { n: values.length, mean: mean([...values]), median: median([...values]), sd: values.length > 1 ? sampleStandardDeviation([...values]) : null };
}

function pooledSd(control: GroupSummary, treatment: GroupSummary): number {
  const a = control.n - 1;
  const b = treatment.n - 1;
  return Math.sqrt((a * control.sd! ** 2 + b * treatment.sd! ** 2) / (a + b));
}

/** n per group for a one-sided two-sample test: 2 ((z(1-alpha) + z(power)) sd / delta)^2, rounded up. */
export function sampleSizePerGroup(sd: number, delta: number, alpha = significance, power = targetPower): number | null {
  if (!(delta > 0) || !(sd > 0)) return null;
  return Math.ceil(2 * (((probit(1 - alpha) + probit(power)) * sd) / delta) ** 2);
}

/** Control vs treatment durations (minutes): summaries, and the test once both groups have enough to say anything. */
export function compareGroups(controlValues: readonly number[], treatmentValues: readonly number[]): GroupComparison {
  const control = summarize(controlValues);
  const treatment = summarize(treatmentValues);
  const empty = { control, treatment, difference: null, ci95: null, pValue: null, effectSize: null, neededPerGroup: null, enough: false };
  if (control.n < 2 || treatment.n < 2) return { ...empty, difference: control.mean !== null && treatment.mean !== null ? control.mean - treatment.mean : null };
  const difference = control.mean! - treatment.mean!;
  const sd = pooledSd(control, treatment);
  const neededPerGroup = sampleSizePerGroup(sd, difference);
  const identical = control.sd === 0 && treatment.sd === 0;
  if (identical) return { ...empty, difference, neededPerGroup, enough: false };
  const twoSided = ttest2([...controlValues], [...treatmentValues], { alpha: significance, alternative: 'two-sided' });
  const oneSided = ttest2([...controlValues], [...treatmentValues], { alpha: significance, alternative: 'greater' });
  // With no gain observed there is no power target: the test result itself (a large p) is the answer.
  const enough = Math.min(control.n, treatment.n) >= Math.max(minimumPerGroup, neededPerGroup ?? 0);
  return {
    control,
    treatment,
    difference,
    ci95: [twoSided.ci[0]!, twoSided.ci[1]!],
    pValue: oneSided.pValue,
    effectSize: sd > 0 ? difference / sd : null,
    neededPerGroup,
    enough,
  };
}

import { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  Sampler,
  SamplingDecision,
  SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import { vendorOfCall } from '../metrics/external-call-span-metrics';

/** OpenTelemetry's standard sampler names (OTEL_TRACES_SAMPLER). */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

/** A variable naming one of OpenTelemetry's choices: any case, surrounding spaces ignored, empty as unset. */
export const otelChoice = <T extends readonly [string, ...string[]]>(choices: T, fallback: T[number]) =>
  z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value), z.enum(choices).default(fallback));

/** OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG (default: every trace); the SDK would log a bad value and sample everything. */
export const samplerEnv = {
  OTEL_TRACES_SAMPLER: otelChoice(TRACE_SAMPLERS, 'parentbased_always_on'),
  // OpenTelemetry's default ratio when none is given: everything.
  OTEL_TRACES_SAMPLER_ARG: z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().min(0).max(1).default(1)),
};

/** The sampler the validated variables name. */
export function samplerOf(env: { OTEL_TRACES_SAMPLER: TraceSamplerName; OTEL_TRACES_SAMPLER_ARG: number }): Sampler {
  const roots: Record<'always_on' | 'always_off' | 'traceidratio', () => Sampler> = {
    always_on: () => new AlwaysOnSampler(),
    always_off: () => new AlwaysOffSampler(),
    traceidratio: () => new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG),
  };
  const name = env.OTEL_TRACES_SAMPLER;
  if (name.startsWith('parentbased_')) return new ParentBasedSampler({ root: roots[name.slice('parentbased_'.length) as keyof typeof roots]() });
  return roots[name as keyof typeof roots]();
}

/**
 * A vendor call's span is recorded even when its trace is not sampled: the external-call latency and error metrics
 * are made from these spans (ExternalCallSpanMetrics), so they must count every call whatever the sampling. Recorded
 * but not sampled, such a span is never exported, and the spans below it follow their unsampled parent.
 */
export class VendorCallsRecorded implements Sampler {
  constructor(private readonly sampler: Sampler) {}

  shouldSample(parent: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const result = this.sampler.shouldSample(parent, traceId, name, kind, attributes, links);
    if (result.decision !== SamplingDecision.NOT_RECORD || !vendorOfCall(attributes)) return result;
    return { ...result, decision: SamplingDecision.RECORD };
  }

  toString(): string {
    return `VendorCallsRecorded{${this.sampler.toString()}}`;
  }
}

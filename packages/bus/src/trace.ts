import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { Headers, Outcome } from './port.ts';

/**
 * W3C trace context over message headers. Without a registered OpenTelemetry SDK every call here
 * is a no-op, so the bus works the same with tracing off.
 */
const tracer = () => trace.getTracer('@ffgate/bus');

function hasTraceparent(headers: Headers): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === 'traceparent');
}

/**
 * Run a publish inside a PRODUCER span and hand `send` the headers to put on the wire. A
 * `traceparent` the caller supplied (the outbox passes the one captured at enqueue) is kept as is
 * and becomes the span's parent; otherwise the active context is injected.
 */
export async function withProducerSpan<R>(
  subject: string,
  system: string,
  headers: Headers,
  send: (headers: Headers) => Promise<R>,
): Promise<R> {
  const supplied = hasTraceparent(headers);
  const parent = supplied ? propagation.extract(context.active(), headers) : context.active();
  const attributes: Attributes = { 'messaging.system': system, 'messaging.destination.name': subject, 'messaging.operation.type': 'send' };
  // span names stay low-cardinality (subjects carry resource ids): the subject is an attribute
  return tracer().startActiveSpan('send', { kind: SpanKind.PRODUCER, attributes }, parent, async (span) => {
    const wire: Headers = { ...headers };
    if (!supplied) propagation.inject(context.active(), wire);
    try {
      return await send(wire);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Run a handler inside a CONSUMER span whose parent is the trace context carried by the message. */
export async function withConsumerSpan(
  subject: string,
  system: string,
  consumer: string,
  headers: Headers,
  attributes: Attributes,
  process: () => Promise<Outcome>,
): Promise<Outcome> {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const attrs: Attributes = { 'messaging.system': system, 'messaging.destination.name': subject, 'messaging.operation.type': 'process', ...attributes };
  return tracer().startActiveSpan(`process ${consumer}`, { kind: SpanKind.CONSUMER, attributes: attrs }, parent, async (span) => {
    try {
      const outcome = await process();
      span.setAttribute('ffgate.bus.outcome', outcome.kind);
      if (outcome.kind === 'term') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.reason });
      return outcome;
    } finally {
      span.end();
    }
  });
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { context, propagation, ROOT_CONTEXT, trace, type Context, type ContextManager, type TextMapPropagator } from '@opentelemetry/api';

/**
 * Just enough OpenTelemetry for tests to observe trace context without an SDK: an
 * AsyncLocalStorage context manager and a W3C `traceparent` propagator. With no tracer provider
 * the API's no-op tracer still carries the parent's span context into child spans, which is
 * what the bus's PRODUCER/CONSUMER spans rely on for propagation.
 */
class TestContextManager implements ContextManager {
  private readonly als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.als.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.als.disable();
    return this;
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

const w3cPropagator: TextMapPropagator = {
  inject(ctx, carrier, setter) {
    const sc = trace.getSpanContext(ctx);
    if (!sc || !trace.isSpanContextValid(sc)) return;
    setter.set(carrier, 'traceparent', `00-${sc.traceId}-${sc.spanId}-0${sc.traceFlags & 1}`);
  },
  extract(ctx, carrier, getter) {
    const raw = getter.get(carrier, 'traceparent');
    const m = TRACEPARENT.exec(Array.isArray(raw) ? raw[0] : (raw ?? ''));
    if (!m) return ctx;
    return trace.setSpanContext(ctx, { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16), isRemote: true });
  },
  fields: () => ['traceparent'],
};

let registered = false;
export function registerTestTracing(): void {
  if (registered) return;
  registered = true;
  context.setGlobalContextManager(new TestContextManager().enable());
  propagation.setGlobalPropagator(w3cPropagator);
}

import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { RouterObserver } from '../core/router.js';

/** Prometheus metrics of one app instance (its own registry, so tests can build several apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const updates = new Counter({
    name: 'taawun_updates_total',
    help: 'Inbound messages handled, per channel',
    labelNames: ['channel'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'taawun_handling_seconds',
    help: 'Time to handle one inbound message, per channel',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'taawun_errors_total',
    help: 'Failures while handling or delivering messages, per channel and stage',
    labelNames: ['channel', 'stage'],
    registers: [registry],
  });
  const observer: RouterObserver = {
    handled(channel, seconds) {
      updates.inc({ channel });
      latency.observe({ channel }, seconds);
    },
    failed(channel, stage) {
      errors.inc({ channel, stage });
    },
  };
  return { registry, observer };
}

export type Metrics = ReturnType<typeof createMetrics>;

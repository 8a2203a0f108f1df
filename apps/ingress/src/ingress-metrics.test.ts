import { describe, expect, it } from '@jest/globals';
import { routeLabel } from './ingress-metrics';

describe('routeLabel', () => {
  it.each<[string, string]>([
    ['/api/glitchtip-webhook', '/api/glitchtip-webhook'],
    ['/api/glitchtip-webhook/s3cr3t-token-in-the-path', '/api/glitchtip-webhook'],
    ['/admin/queues', '/admin/queues'],
    ['/admin/queues/api/queues', '/admin/queues'],
    ['/admin/queues/static/js/main.js', '/admin/queues'],
    ['/healthz', '/healthz'],
    ['/readyz', '/readyz'],
    ['/metrics', '/metrics'],
    ['/api/glitchtip-webhookX', 'unmatched'],
    ['/wp-login.php', 'unmatched'],
    ['/', 'unmatched'],
  ])('%s -> %s', (path, label) => {
    expect(routeLabel(path)).toBe(label);
  });
});

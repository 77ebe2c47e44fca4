// The sink's listener with the collector-style TLS options: HTTPS with the server certificate of a
// throwaway PKI (real openssl), and with a client CA, mutual TLS (a client without a certificate of that
// CA is refused during the handshake). The bearer token is checked on top.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { test } from 'node:test';
import { OtlpSink } from '@grpo-otel/sink';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import { makeTestPki } from './helpers/tls.js';

function post(
  url: string,
  options: { ca: string; cert?: string; key?: string; token?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ resourceLogs: [] });
    const req = request(
      `${url}/v1/logs`,
      {
        method: 'POST',
        ca: readFileSync(options.ca),
        ...(options.cert ? { cert: readFileSync(options.cert), key: readFileSync(options.key!) } : {}),
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('sink over TLS, then mutual TLS with a token', async (t) => {
  const dir = tempDir(t, 'grpo-sink-tls-');
  const pki = makeTestPki(dir);
  const tls = new OtlpSink({
    outDir: dir,
    port: 0,
    analysis: false,
    tls: { certFile: pki.serverCert, keyFile: pki.serverKey },
  });
  const url = await tls.listen();
  try {
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await post(url, { ca: pki.caCert })).status, 200);
    await assert.rejects(post(url, { ca: pki.otherCaCert }), /certificate/i);
  } finally {
    await tls.shutdown();
  }

  const mtls = new OtlpSink({
    outDir: dir,
    port: 0,
    analysis: false,
    token: 'tok',
    tls: { certFile: pki.serverCert, keyFile: pki.serverKey, clientCaFile: pki.caCert },
  });
  const murl = await mtls.listen();
  try {
    const client = { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey };
    assert.equal((await post(murl, { ...client, token: 'tok' })).status, 200);
    assert.equal((await post(murl, client)).status, 401);
    await assert.rejects(post(murl, { ca: pki.caCert, token: 'tok' }));
    await assert.rejects(
      post(murl, { ca: pki.caCert, cert: pki.otherClientCert, key: pki.otherClientKey, token: 'tok' }),
    );
  } finally {
    await mtls.shutdown();
  }
});

// A throwaway PKI for TLS tests, made with the real `openssl` command: a CA, a server certificate for
// 127.0.0.1 (SAN IP:127.0.0.1) and a client certificate signed by that CA, plus a second, unrelated CA
// (for "wrong CA" cases). Keys are P-256 (fast to generate). Files are PEM, mode 0600 for keys.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caCert: string;
  /** A CA that signed nothing here: verifying the server with it fails. */
  otherCaCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by the other CA (refused by a server that trusts only `caCert`). */
  otherClientCert: string;
  otherClientKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(cwd: string, name: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name], cwd);
  chmodSync(join(cwd, name), 0o600);
}

function selfSignedCa(cwd: string, name: string, cn: string): void {
  newKey(cwd, `${name}.key`);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-sha256',
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      `${name}.pem`,
    ],
    cwd,
  );
}

function signedLeaf(cwd: string, ca: string, name: string, cn: string, ext: string): void {
  newKey(cwd, `${name}.key`);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`], cwd);
  writeFileSync(join(cwd, `${name}.ext`), ext);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-sha256',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ],
    cwd,
  );
}

/** Creates the PKI in `dir` (created if needed). */
export function makeTestPki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  selfSignedCa(dir, 'ca', 'grpo-otel test CA');
  selfSignedCa(dir, 'other-ca', 'grpo-otel unrelated CA');
  signedLeaf(
    dir,
    'ca',
    'server',
    '127.0.0.1',
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n',
  );
  signedLeaf(
    dir,
    'ca',
    'client',
    'grpo-trainer',
    'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n',
  );
  signedLeaf(
    dir,
    'other-ca',
    'other-client',
    'intruder',
    'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n',
  );
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    otherCaCert: join(dir, 'other-ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    otherClientCert: join(dir, 'other-client.pem'),
    otherClientKey: join(dir, 'other-client.key'),
  };
}

/**
 * Writes a collector config like collector-config/test-file.yaml (OTLP/HTTP in, JSON lines to a file,
 * same GRPO_* port variables) whose OTLP receiver serves TLS with the PKI's server certificate, asks
 * for a client certificate signed by the test CA when `mtls`, and checks a bearer token (the
 * bearertokenauth extension, token from GRPO_OTLP_TOKEN in the collector's environment) when `auth`.
 * Returns the file's path.
 */
export function writeSecureCollectorConfig(
  dir: string,
  pki: TestPki,
  opts: { tls: boolean; mtls?: boolean; auth?: boolean },
): string {
  const tls = opts.tls
    ? [
        '        tls:',
        `          cert_file: ${pki.serverCert}`,
        `          key_file: ${pki.serverKey}`,
        ...(opts.mtls ? [`          client_ca_file: ${pki.caCert}`] : []),
      ]
    : [];
  const auth = opts.auth ? ['        auth:', '          authenticator: bearertokenauth'] : [];
  const yaml = [
    'receivers:',
    '  otlp:',
    '    protocols:',
    '      http:',
    '        endpoint: 127.0.0.1:${env:GRPO_OTLP_HTTP_PORT}',
    ...tls,
    ...auth,
    'processors:',
    '  batch:',
    '    timeout: 50ms',
    'exporters:',
    // One file exporter per pipeline, as in collector-config/test-file.yaml (a shared one can panic at shutdown).
    ...['logs', 'metrics', 'traces'].flatMap((s) => [
      `  file/${s}:`,
      `    path: \${env:GRPO_FILE_EXPORT_PATH}${s === 'logs' ? '' : `.${s}`}`,
      '    format: json',
      '    flush_interval: 100ms',
    ]),
    'extensions:',
    '  health_check:',
    '    endpoint: 127.0.0.1:${env:GRPO_HEALTH_PORT}',
    ...(opts.auth ? ['  bearertokenauth:', '    token: ${env:GRPO_OTLP_TOKEN}'] : []),
    'service:',
    `  extensions: [health_check${opts.auth ? ', bearertokenauth' : ''}]`,
    '  telemetry:',
    '    metrics:',
    '      level: basic',
    '      readers:',
    '        - pull:',
    '            exporter:',
    '              prometheus:',
    '                host: 127.0.0.1',
    '                port: ${env:GRPO_COLLECTOR_METRICS_PORT}',
    '  pipelines:',
    ...['logs', 'metrics', 'traces'].flatMap((s) => [
      `    ${s}:`,
      '      receivers: [otlp]',
      '      processors: [batch]',
      `      exporters: [file/${s}]`,
    ]),
    '',
  ].join('\n');
  const name = `collector-${opts.tls ? (opts.mtls ? 'mtls' : 'tls') : 'plain'}${opts.auth ? '-auth' : ''}.yaml`;
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

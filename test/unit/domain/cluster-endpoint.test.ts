import { describe, expect, it } from 'vitest';
import { checkCaPem, checkEndpoint } from '#domain/clusters/cluster-endpoint';
import { AppError } from '#domain/errors/app-error';

const deployed = { allowLoopback: false };
const local = { allowLoopback: true };

const refusal = (call: () => unknown): string => {
  try {
    call();
  } catch (error) {
    if (error instanceof AppError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'accepted';
};

describe('cluster endpoints (DESIGN §4.4)', () => {
  it('accepts https origins on DNS names and private addresses (private EKS endpoints live in the VPC)', () => {
    expect(checkEndpoint('https://ABC.gr7.us-east-1.eks.amazonaws.com', deployed)).toBe('https://abc.gr7.us-east-1.eks.amazonaws.com');
    expect(checkEndpoint('https://10.0.12.4:6443/', deployed)).toBe('https://10.0.12.4:6443');
    expect(checkEndpoint('https://[fd12:3456::1]:6443', deployed)).toBe('https://[fd12:3456::1]:6443');
  });

  it.each([
    ['http://10.0.0.5', 'must use https'],
    ['not a url', 'absolute https:// URL'],
    ['https://user:pw@k8s.example', 'must not carry credentials'],
    ['https://k8s.example/api?x=1', 'no path, query or fragment'],
    ['https://169.254.169.254', 'link-local or instance-metadata'],
    ['https://169.254.10.1:443', 'link-local or instance-metadata'],
    ['https://100.100.100.200', 'link-local or instance-metadata'],
    ['https://[fe80::1]', 'link-local or instance-metadata'],
    ['https://[fd00:ec2::254]', 'link-local or instance-metadata'],
    ['https://[::ffff:169.254.169.254]', 'link-local or instance-metadata'],
    ['https://0.0.0.0', 'unspecified'],
    ['https://127.0.0.1:6443', 'loopback address (allowed in the local stack only)'],
    ['https://localhost:6443', 'loopback address'],
    ['https://[::1]', 'loopback address'],
  ])('refuses %s', (endpoint, reason) => {
    expect(refusal(() => checkEndpoint(endpoint, deployed))).toContain(reason);
  });

  it('allows loopback in the local stack only, and never metadata even there', () => {
    expect(checkEndpoint('https://127.0.0.1:6443', local)).toBe('https://127.0.0.1:6443');
    expect(refusal(() => checkEndpoint('https://169.254.169.254', local))).toContain('link-local');
  });

  it('the CA is PEM certificates and nothing else', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(checkCaPem(`  ${cert}\n${cert}  `)).toBe(`${cert}\n${cert}\n`);
    expect(refusal(() => checkCaPem(`${cert}\n-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----`))).toContain('caPem');
    expect(refusal(() => checkCaPem('hello'))).toContain('caPem');
  });
});

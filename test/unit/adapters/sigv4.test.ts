import { describe, expect, it } from 'vitest';
import { signRequest } from '#adapters/stepfunctions/sigv4';

/** AWS's published Signature Version 4 test suite, case "get-vanilla" (credentials are the suite's examples). */
describe('SigV4 signing', () => {
  it('reproduces the get-vanilla signature of the AWS test suite', () => {
    const headers = signRequest({
      method: 'GET',
      host: 'example.amazonaws.com',
      path: '/',
      headers: {},
      body: '',
      region: 'us-east-1',
      service: 'service',
      at: new Date('2015-08-30T12:36:00Z'),
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    });
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
  });
});

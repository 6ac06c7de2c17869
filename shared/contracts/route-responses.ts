import { errorEnvelopeSchema } from './common.contract';

/** Error responses shared by the administration routes' declarations (the envelope is always the same). */
export const standardErrors = {
  400: { description: 'Invalid input; `details.fields` names each field at fault', schema: errorEnvelopeSchema },
  401: { description: 'Missing or invalid credentials', schema: errorEnvelopeSchema },
  403: { description: 'Authenticated but not permitted (the message names the permission or rule)', schema: errorEnvelopeSchema },
} as const;

export const notFoundResponse = (what: string) =>
  ({
    404: {
      description: `No such ${what} visible to the caller (another org's ids are answered the same way)`,
      schema: errorEnvelopeSchema,
    },
  }) as const;

export const conflictResponse = (what: string) => ({ 409: { description: what, schema: errorEnvelopeSchema } }) as const;

export const unprocessableResponse = (what: string) => ({ 422: { description: what, schema: errorEnvelopeSchema } }) as const;

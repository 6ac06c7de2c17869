import { errorEnvelopeSchema } from '#contracts/common.contract';
import { jobViewSchema } from '#contracts/jobs.contract';
import {
  queueJobParamsSchema,
  queuePauseBodySchema,
  queueQuerySchema,
  queueViewSchema,
  schedulingSettingsBodySchema,
  schedulingSettingsSchema,
} from '#contracts/queue.contract';
import { notFoundResponse, standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const errors = standardErrors;

/** The queue as its users and administrators see it (docs/scheduling.md; docs/scheduling.md). */
export const queueRoutes = [
  {
    method: 'GET',
    path: '/v1/queue',
    operationId: 'getQueue',
    summary: "Queued jobs of my org in admission order, with each one's wait and estimated start (others' jobs anonymized below lead)",
    access: 'job.view.own',
    tags: ['queue'],
    request: { query: queueQuerySchema },
    responses: {
      200: { description: 'The queue', schema: queueViewSchema },
      ...errors,
      ...notFoundResponse('team named in `query.teamId`'),
    },
  },
  {
    method: 'GET',
    path: '/v1/queue/settings',
    operationId: 'getSchedulingSettings',
    summary: "My org's scheduling settings: fair-share half-life, aging, team weights, pause",
    access: 'config.view',
    tags: ['queue'],
    responses: { 200: { description: 'Settings', schema: schedulingSettingsSchema }, ...errors },
  },
  {
    method: 'PUT',
    path: '/v1/queue/settings',
    operationId: 'updateSchedulingSettings',
    summary: "Change my org's scheduling settings (given fields only)",
    access: 'queue.manage',
    tags: ['queue'],
    request: { body: schedulingSettingsBodySchema },
    responses: {
      200: { description: 'Settings', schema: schedulingSettingsSchema },
      ...errors,
      ...notFoundResponse('team named in `body.teamWeights`'),
    },
  },
  {
    method: 'POST',
    path: '/v1/queue/pause',
    operationId: 'pauseQueue',
    summary: 'Pause admission for my org, or for one backend of it (queued jobs wait with queue_paused)',
    access: 'queue.manage',
    tags: ['queue'],
    request: { body: queuePauseBodySchema },
    responses: { 200: { description: 'Settings', schema: schedulingSettingsSchema }, ...errors },
  },
  {
    method: 'POST',
    path: '/v1/queue/resume',
    operationId: 'resumeQueue',
    summary: 'Resume admission for my org, or for one backend of it',
    access: 'queue.manage',
    tags: ['queue'],
    request: { body: queuePauseBodySchema },
    responses: { 200: { description: 'Settings', schema: schedulingSettingsSchema }, ...errors },
  },
  {
    method: 'POST',
    path: '/v1/queue/jobs/{id}/front',
    operationId: 'moveJobToFront',
    summary: 'Move a queued job of my org to the front of the queue (audited)',
    access: 'queue.manage',
    tags: ['queue'],
    request: { params: queueJobParamsSchema },
    responses: {
      200: { description: 'The job', schema: jobViewSchema },
      ...errors,
      ...notFoundResponse('job'),
      409: { description: 'The job is not queued', schema: errorEnvelopeSchema },
    },
  },
] as const satisfies readonly RouteDeclaration[];

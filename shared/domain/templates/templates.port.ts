import type { JobTemplate } from './template.schema';
import type { ListOptions, Page } from '#domain/page';

export interface TemplateRepository {
  get(orgId: string, name: string): Promise<JobTemplate | undefined>;
  list(orgId: string, options: ListOptions & { ownerId?: string | undefined }): Promise<Page<JobTemplate>>;
  /** Creates (`expectedVersion` 0) or replaces at `expectedVersion`; false when the name is taken or the version moved. */
  save(template: JobTemplate, expectedVersion: number): Promise<boolean>;
  remove(orgId: string, name: string): Promise<boolean>;
}

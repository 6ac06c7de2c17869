import Header from '@cloudscape-design/components/header';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { ReactNode } from 'react';

/** What a page loaded with `useData` from a listing route (`{ items }`). */
interface Listing<T> {
  data: { items: T[] } | undefined;
  loading: boolean;
}

type ListingTableProps<T> = Omit<TableProps<T>, 'header' | 'loading' | 'items'> & {
  title: ReactNode;
  description?: ReactNode;
  counter?: string | undefined;
  actions?: ReactNode;
  listing: Listing<T>;
};

/**
 * A page's main table: an h1 header over the items of one listing, shown as loading only until the first
 * answer (a reload keeps the rows in place).
 */
export function ListingTable<T>({ title, description, counter, actions, listing, ...table }: ListingTableProps<T>) {
  return (
    <Table<T>
      {...table}
      header={
        <Header variant="h1" description={description} counter={counter} actions={actions}>
          {title}
        </Header>
      }
      loading={listing.loading && !listing.data}
      items={listing.data?.items ?? []}
    />
  );
}

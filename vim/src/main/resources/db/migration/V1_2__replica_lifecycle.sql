-- Allocations change after they start: components grow and shrink, replicas restart, stop and start, and each replica
-- has a status of its own (RUNNING, STOPPED on request, FAILED: exited unasked).

-- The next replica index of a component: an index (and so a fastpath's --id) is never reused in an allocation's life.
alter table allocation_component add column next_index integer not null default 0;
update allocation_component set next_index = replicas;

-- The next fastpath --id of the allocation (ids run across its fastpath components).
alter table allocation add column next_fastpath_id integer not null default 0;
update allocation a set next_fastpath_id = coalesce((select sum(c.replicas) from allocation_component c
    where c.allocation_id = a.id and c.role = 'fastpath'), 0);

alter table component_placement add column fastpath_id integer;
alter table component_placement add column status varchar(16) not null default 'RUNNING';
alter table component_placement add column status_reason varchar(1000);
alter table component_placement add column status_at timestamp with time zone;

-- Fastpaths placed before this migration got ids 0..N-1 in component order, then index order.
update component_placement p set fastpath_id = numbered.id
from (select cp.id as placement, (row_number() over (partition by cp.allocation_id
                                  order by c.position, cp.replica_index) - 1) as id
      from component_placement cp
      join allocation_component c on c.allocation_id = cp.allocation_id and c.name = cp.component_name
      where cp.role = 'fastpath') numbered
where p.id = numbered.placement;

update component_placement p set status_at = a.state_entered_at, status_reason = 'started'
from allocation a where a.id = p.allocation_id;
alter table component_placement alter column status_at set not null;

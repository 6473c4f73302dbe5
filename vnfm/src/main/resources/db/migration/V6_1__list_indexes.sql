-- SOL013 lists page in (created_at, id) / (start_time, id) order within the caller's tenant: indexes in that order let
-- PostgreSQL read a page instead of sorting the tenant's whole table (the LCM API benchmark, 10,000 instances).
create index vnf_instance_tenant_page on vnf_instance (tenant, created_at, id);
create index vnf_instance_page on vnf_instance (created_at, id);
create index vnf_lcm_op_occ_tenant_page on vnf_lcm_op_occ (tenant, start_time, id);
create index vnf_lcm_op_occ_page on vnf_lcm_op_occ (start_time, id);

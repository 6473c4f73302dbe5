-- The NS instance a VNF belongs to (the NFVO names it in metadata.nsInstanceId when it creates the VNF): such a VNF is
-- changed through its NS only, never directly by a tenant.
alter table vnf_instance add column ns_instance_id varchar(64);
update vnf_instance set ns_instance_id = metadata ->> 'nsInstanceId' where jsonb_typeof(metadata -> 'nsInstanceId') = 'string';

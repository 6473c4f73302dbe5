-- The bearer token of each VNF's slowpath config endpoint, as the vim handed it out with the allocation: the vnfm
-- configures and reconciles the slowpath with it. Never part of the API's representations.
alter table vnf_instance add column config_secret varchar(128);

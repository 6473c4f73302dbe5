-- The VNF's desired configuration (InstantiateVnfRequest.additionalParams, checked against the VNF type's JSON
-- Schema): the vnfm owns it and reconciles the slowpath to it.
alter table vnf_instance add column vnf_configuration jsonb;

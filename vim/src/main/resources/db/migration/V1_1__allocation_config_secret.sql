-- The bearer token of each VNF's slowpath config endpoint (the VNF process contract's ISTHMUS_CONFIG_SECRET): the VIM
-- makes one per allocation, hands it to the slowpath it starts and to the VNFM (service callers only).
alter table allocation add column config_secret varchar(128);

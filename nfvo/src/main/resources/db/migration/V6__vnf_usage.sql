-- The VNF instances the VNFM has, as far as a VNF package's usageState needs to know: the VNFM notifies each creation
-- and deletion (SOL003 VnfIdentifierCreationNotification / VnfIdentifierDeletionNotification), the NFVO reads the
-- instance back from the VNFM (a notification only nudges) and keeps its vnfdId here, or drops the row when the VNFM
-- does not know the instance. A package is IN_USE while a row has its vnfdId.
create table vnf_usage (
    vnf_instance_id  varchar(64) primary key,
    vnfd_id          varchar(255),
    notified_at      timestamptz not null,
    read_at          timestamptz
);
create index vnf_usage_vnfd on vnf_usage (vnfd_id) where vnfd_id is not null;

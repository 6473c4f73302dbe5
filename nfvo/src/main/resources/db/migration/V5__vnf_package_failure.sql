-- SOL003 v3.3.1 PackageOnboardingStateType ERROR: an upload that was refused leaves the package in ERROR with the
-- reason (a ProblemDetails), and the package content can be uploaded again.
alter table vnf_package add column onboarding_failure_details text;

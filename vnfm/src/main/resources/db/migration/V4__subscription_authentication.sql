-- SOL013 SubscriptionAuthentication of a subscription (BASIC or OAUTH2_CLIENT_CREDENTIALS, with their secrets): how
-- its notifications and its callback test authenticate to the subscriber. Never part of the API's representations.
alter table lccn_subscription add column authentication jsonb;

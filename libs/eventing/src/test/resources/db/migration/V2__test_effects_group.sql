-- Which consumer group had the effect: the batch-mode tests run two more groups on the same topic.
ALTER TABLE test_effects ADD COLUMN consumer_group TEXT NOT NULL DEFAULT 'eventing-test';

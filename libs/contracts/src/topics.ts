/** Every Kafka topic of the system, defined once. The suffix is the topic's major version. */
export const TOPICS = {
  forecastTaskChanged: 'forecast.task.changed.v1',
  forecastTimeRegistrationChanged: 'forecast.time-registration.changed.v1',
  timelogWorkChanged: 'timelog.work.changed.v1',
  mappingLinks: 'mapping.links.v1',
  syncCommands: 'sync.commands.v1',
  syncDlq: 'sync.dlq.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export interface TopicSpec {
  name: TopicName;
  partitions: number;
  /** Compacted topics keep the latest value per key (links are state, not history). */
  compacted: boolean;
}

/** Partition counts let 6 consumers per group share load; keys keep per-entity order. */
export const TOPIC_SPECS: readonly TopicSpec[] = [
  { name: TOPICS.forecastTaskChanged, partitions: 6, compacted: false },
  { name: TOPICS.forecastTimeRegistrationChanged, partitions: 6, compacted: false },
  { name: TOPICS.timelogWorkChanged, partitions: 6, compacted: false },
  { name: TOPICS.mappingLinks, partitions: 3, compacted: true },
  { name: TOPICS.syncCommands, partitions: 3, compacted: false },
  { name: TOPICS.syncDlq, partitions: 1, compacted: false },
];

/**
 * Every consumer group and the topics it reads, defined once: the consumers check their handlers against it at
 * start-up, and the lag exporter reads it, so a group's lag is reported even while none of its consumers runs.
 */
export const CONSUMER_GROUPS = {
  'sync-writer': [TOPICS.forecastTaskChanged, TOPICS.forecastTimeRegistrationChanged, TOPICS.timelogWorkChanged, TOPICS.mappingLinks, TOPICS.syncCommands],
  'forecast-ingestor': [TOPICS.syncCommands],
} as const satisfies Record<string, readonly TopicName[]>;

export type ConsumerGroupName = keyof typeof CONSUMER_GROUPS;

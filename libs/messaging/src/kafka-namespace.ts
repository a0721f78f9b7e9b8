/**
 * Several environments can share one Kafka cluster: a namespace prefixes every topic and consumer group
 * (e.g. `staging.forecast.task.changed.v1`). Code everywhere else uses the logical names from contracts.
 */
export class KafkaNamespace {
  constructor(private readonly prefix: string = '') {}

  topic(logical: string): string {
    return this.prefix ? `${this.prefix}.${logical}` : logical;
  }

  group(logical: string): string {
    return this.topic(logical);
  }

  logicalTopic(physical: string): string {
    return this.prefix && physical.startsWith(`${this.prefix}.`) ? physical.slice(this.prefix.length + 1) : physical;
  }
}

package org.betaas.service.bigdata.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS Big Data Manager",
        description = "Stores measurements with retention; asks for Big Data storage and compute nodes above thresholds.")
@interface BigDataConfiguration {

    @AttributeDefinition(name = "Database", description = "JDBC URL: empty for H2 in"
            + " ${karaf.data}/betaas/bigdata, or jdbc:postgresql://host:port/database (TimescaleDB used when installed).")
    String jdbc_url() default "";

    @AttributeDefinition(name = "Database user", description = "User of the database (PostgreSQL); empty for none.")
    String jdbc_user() default "";

    @AttributeDefinition(name = "Database password", type = AttributeType.PASSWORD,
            description = "Password of the database user; never logged or shown.")
    String jdbc_password() default "";

    @AttributeDefinition(name = "Answer timeout, seconds", description = "How long a caller waits for the database"
            + " (1-3600); once a call has gone unanswered that long, the next ones fail at once until it answers.")
    int answer_timeout_s() default 10;

    @AttributeDefinition(name = "Retention, seconds", description = "Measurements older than this are deleted; 0 keeps them.")
    long retention_max_age_s() default 604_800;

    @AttributeDefinition(name = "Retention, rows", description = "At most this many measurements are kept, oldest deleted first; 0: no limit.")
    long retention_max_rows() default 1_000_000;

    @AttributeDefinition(name = "Check interval, seconds", description = "How often retention and thresholds are applied.")
    int check_interval_s() default 30;

    @AttributeDefinition(name = "Storage threshold, rows", description = "Rows from which a storage node is asked for; 0: off.")
    long storage_rows_high() default 500_000;

    @AttributeDefinition(name = "Storage threshold, bytes", description = "Database bytes from which a storage node is asked for; 0: off.")
    long storage_bytes_high() default 268_435_456;

    @AttributeDefinition(name = "Compute threshold, queries per minute", description = "Query load from which a compute node is asked for; 0: off.")
    double compute_queries_per_minute_high() default 600;

    @AttributeDefinition(name = "Release fraction", description = "A node is released once the load is below this"
            + " fraction of the threshold that asked for it (0 < f <= 1; hysteresis).")
    double release_fraction() default 0.5;

    @AttributeDefinition(name = "Cooldown, seconds", description = "Quiet time of a role after a node was deployed or released.")
    long cooldown_s() default 300;

    @AttributeDefinition(name = "Storage template", description = "VM template of storage nodes (kind bigdata-storage).")
    String storage_template() default "bigdata-storage";

    @AttributeDefinition(name = "Compute template", description = "VM template of compute nodes (kind bigdata-compute).")
    String compute_template() default "bigdata-compute";

    @AttributeDefinition(name = "Storage nodes, at most", description = "Storage nodes held at most.")
    int storage_max_nodes() default 1;

    @AttributeDefinition(name = "Compute nodes, at most", description = "Compute nodes held at most.")
    int compute_max_nodes() default 1;
}

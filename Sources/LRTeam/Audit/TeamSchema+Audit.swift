extension TeamSchema.Migration {
  /// Version 7: each audit entry keeps the id its append chose (`append_id`, unique per tenant),
  /// so an append sent again after its COMMIT's answer was lost finds its entry and adds none.
  static let auditAppendIDs = TeamSchema.Migration(
    version: 7, name: "audit append ids",
    sql: """
      ALTER TABLE lr_audit_entry ADD COLUMN append_id uuid;
      CREATE UNIQUE INDEX lr_audit_entry_append_id ON lr_audit_entry (tenant, append_id);
      """)
}

import DefenderClient

extension Machine {
  /// The machine with only what target resolution, the pre-flight and the rollout read (id,
  /// names, tags, platform, health, onboarding, last seen, device group): a listed fleet is held
  /// in this form, a few strings a machine instead of the whole entity.
  var targeting: Machine {
    var kept = Machine(id: id, computerDnsName: computerDnsName, machineTags: machineTags)
    kept.osPlatform = osPlatform
    kept.version = version
    kept.lastSeen = lastSeen
    kept.healthStatus = healthStatus
    kept.onboardingStatus = onboardingStatus
    kept.rbacGroupId = rbacGroupId
    kept.rbacGroupName = rbacGroupName
    return kept
  }
}

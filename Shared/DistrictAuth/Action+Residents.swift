extension Action {
    // MARK: Households and residents

    /// Read households and residents (personal data masked unless the caller also holds
    /// ``personalDataReadUnmasked`` and asks for it).
    public static let residentRead = Action(rawValue: "resident.read")
    /// Register households and residents.
    public static let residentWrite = Action(rawValue: "resident.write")
}

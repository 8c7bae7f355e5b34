/// Methods of the identity service: the org tree (`org.*`); users, roles and tokens follow.
public enum IdentityAPI {}

import DistrictRuntime
import IdentityService

await ServiceRuntime.main(IdentityService.definition)

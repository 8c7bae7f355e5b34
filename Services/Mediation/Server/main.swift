import DistrictRuntime
import MediationService

await ServiceRuntime.main(MediationService.definition)

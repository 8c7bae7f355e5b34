import DistrictRuntime
import LegalService

await ServiceRuntime.main(LegalService.definition)

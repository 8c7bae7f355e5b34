import DistrictRuntime
import NotifyService

await ServiceRuntime.main(NotifyService.definition)

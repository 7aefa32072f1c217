/**
 * Azure naming rules shared by the Container Apps component and the site-file schema. Pure: no
 * Pulumi, so `sitestack validate` loads it without the Pulumi SDK.
 */

/** Azure Container Registry service tiers that are still sold (Classic is retired). */
export const registrySkus = ["Basic", "Standard", "Premium"] as const;

const registryNamePattern = /^[A-Za-z0-9]{5,50}$/;
// Azure: 1-90 letters, digits, "_", "-", ".", "(" and ")", not ending with ".".
const resourceGroupPattern = /^[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]$/;

/** Host suffix of Azure Container Registry login servers (public cloud). */
export const acrHostSuffix = ".azurecr.io";

/**
 * Why `name` is not an Azure Container Registry name, or `undefined` when it is one: 5 to 50
 * letters and digits, the part before `.azurecr.io`.
 */
export function registryNameProblem(name: string): string | undefined {
  return registryNamePattern.test(name)
    ? undefined
    : `must be 5 to 50 letters and digits (it becomes <name>.azurecr.io), got ${JSON.stringify(name)}`;
}

/** Why `name` is not an Azure resource group name, or `undefined` when it is one. */
export function resourceGroupNameProblem(name: string): string | undefined {
  return resourceGroupPattern.test(name)
    ? undefined
    : `must be 1 to 90 letters, digits, "_", "-", ".", "(" or ")", not ending with ".", got ${JSON.stringify(name)}`;
}

/** Whether `server` is an Azure Container Registry login server (`chefcitoprod.azurecr.io`). */
export function isAzureRegistryHost(server: string): boolean {
  return server.toLowerCase().endsWith(acrHostSuffix);
}

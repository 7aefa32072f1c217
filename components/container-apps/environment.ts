import * as app from "@pulumi/azure-native/app/index.js";
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import * as containerregistry from "@pulumi/azure-native/containerregistry/index.js";
import * as managedidentity from "@pulumi/azure-native/managedidentity/index.js";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights/index.js";
import * as resources from "@pulumi/azure-native/resources/index.js";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerAppsEnvironmentArgs } from "./args.js";
import { acrPullRoleDefinitionId } from "./render.js";
import { environmentProblems } from "./validate.js";

/** Defaults of the shared resources. */
export const environmentDefaults = {
  logRetentionDays: 30,
  registrySku: "Basic",
} as const;

/**
 * What the services of one app share on Azure Container Apps: a resource group (created or
 * adopted), a Log Analytics workspace, a managed environment that ships its logs there, a container
 * registry with the admin user disabled, and a user-assigned identity allowed to pull from it
 * (`AcrPull` on the registry, nothing more).
 *
 * Children: `<name>-rg` (only when the group is created), `<name>-logs`, `<name>-env`,
 * `<name>-acr` (only when the registry is created), `<name>-pull` (identity) and `<name>-acrpull`
 * (role assignment).
 */
export class ContainerAppsEnvironment extends pulumi.ComponentResource {
  /** Name of the resource group everything lives in. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** Resource id of the managed environment; Container Apps join it with `environmentId`. */
  readonly environmentId: pulumi.Output<string>;
  /** Default domain of the environment: every external app answers on `<app>.<defaultDomain>`. */
  readonly defaultDomain: pulumi.Output<string>;
  /** Registry host to push images to and pull from, e.g. `chefcitoprod.azurecr.io`. */
  readonly registryLoginServer: pulumi.Output<string>;
  /** Resource id of the registry. */
  readonly registryId: pulumi.Output<string>;
  /** Resource id of the identity that pulls images; apps list it in `identity` and `registries`. */
  readonly pullIdentityId: pulumi.Output<string>;
  /** The `AcrPull` grant: apps depend on it so their first revision can already pull. */
  readonly acrPull: authorization.RoleAssignment;
  /** The managed environment. */
  readonly managedEnvironment: app.ManagedEnvironment;

  constructor(
    name: string,
    args: ContainerAppsEnvironmentArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("sitestack:azure:ContainerAppsEnvironment", name, {}, opts);
    const problems = environmentProblems(args);
    if (problems.length > 0) {
      throw new Error(
        `ContainerAppsEnvironment ${JSON.stringify(name)}:\n  ${problems.join("\n  ")}`,
      );
    }
    const parent = { parent: this };
    const location = args.location;
    const tags = { ...args.tags };

    if (args.resourceGroup.create !== undefined) {
      const group = new resources.ResourceGroup(
        `${name}-rg`,
        { resourceGroupName: args.resourceGroup.create, location, tags },
        parent,
      );
      this.resourceGroupName = group.name;
    } else {
      // Adopted by name only: the stack never owns (or deletes) a group it did not create.
      this.resourceGroupName = pulumi.output(args.resourceGroup.existing);
    }
    const resourceGroupName = this.resourceGroupName;

    const logs = new operationalinsights.Workspace(
      `${name}-logs`,
      {
        resourceGroupName,
        location,
        sku: { name: "PerGB2018" },
        retentionInDays: args.logRetentionDays ?? environmentDefaults.logRetentionDays,
        tags,
      },
      parent,
    );
    const sharedKey = operationalinsights
      .getSharedKeysOutput({ resourceGroupName, workspaceName: logs.name }, parent)
      .apply((keys) => keys.primarySharedKey ?? "");

    this.managedEnvironment = new app.ManagedEnvironment(
      `${name}-env`,
      {
        resourceGroupName,
        location,
        appLogsConfiguration: {
          destination: "log-analytics",
          logAnalyticsConfiguration: {
            customerId: logs.customerId,
            // The workspace key lets anyone write into the logs: it stays a secret in state.
            sharedKey: pulumi.secret(sharedKey),
          },
        },
        tags,
      },
      parent,
    );
    this.environmentId = this.managedEnvironment.id;
    this.defaultDomain = this.managedEnvironment.defaultDomain;

    if (args.registry.create !== undefined) {
      const registry = new containerregistry.Registry(
        `${name}-acr`,
        {
          registryName: args.registry.create,
          resourceGroupName,
          location,
          sku: { name: args.registry.sku ?? environmentDefaults.registrySku },
          // Pulls go through the managed identity and pushes through Entra ID (az acr login), so
          // the shared admin password of the seed's pipelines is never needed.
          adminUserEnabled: false,
          tags,
        },
        parent,
      );
      this.registryId = registry.id;
      this.registryLoginServer = registry.loginServer;
    } else {
      const registry = containerregistry.getRegistryOutput(
        {
          registryName: args.registry.existing,
          resourceGroupName: args.registry.resourceGroupName ?? resourceGroupName,
        },
        parent,
      );
      this.registryId = registry.id;
      this.registryLoginServer = registry.loginServer;
    }

    const pullIdentity = new managedidentity.UserAssignedIdentity(
      `${name}-pull`,
      { resourceGroupName, location, tags },
      parent,
    );
    this.pullIdentityId = pullIdentity.id;

    const subscriptionId = authorization
      .getClientConfigOutput(parent)
      .apply((config) => config.subscriptionId);
    this.acrPull = new authorization.RoleAssignment(
      `${name}-acrpull`,
      {
        scope: this.registryId,
        roleDefinitionId: subscriptionId.apply(acrPullRoleDefinitionId),
        principalId: pullIdentity.principalId,
        // Said explicitly so Azure does not look the new identity up in Entra ID, where it may not
        // have replicated yet (a known cause of failed first deployments).
        principalType: "ServicePrincipal",
      },
      parent,
    );

    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      environmentId: this.environmentId,
      defaultDomain: this.defaultDomain,
      registryLoginServer: this.registryLoginServer,
      pullIdentityId: this.pullIdentityId,
    });
  }
}

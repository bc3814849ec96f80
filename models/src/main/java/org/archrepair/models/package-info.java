/**
 * The subject networks (He CIFAR ResNets, kuangliu ResNets, DenseNet-121) and the candidate blocks
 * each exposes for localization and relaxation; {@link org.archrepair.models.Models} by name.
 * Must not import repair.
 */
package org.archrepair.models;
